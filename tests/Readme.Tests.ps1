# The README tour: everyday questions about the sample runs, each answered by one pipeline typed in the folder that
# holds wandb/ (so no -Path). The commands are the ones the tour in README.md shows; the answers follow from
# samples/README.md and tests/WandbRunOps.Testing/SampleSet.cs.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    Push-Location -LiteralPath (Split-Path -Parent $wandb)
}

AfterAll {
    Pop-Location
}

Describe 'README tour' {
    It '0. lists every run, oldest first' {
        $answer = Get-WandbRun
        ($answer | ForEach-Object { $_.Id }) -join ',' |
            Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
    }

    It '1. lists the runs with learning_rate above 0.01' {
        $answer = Get-WandbRun | Get-RunConfig | Where-Object learning_rate -gt 0.01
        ($answer | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0003c,fail004d,crsh005e'
        ($answer | ForEach-Object { $_.learning_rate }) -join ',' | Should -Be '0.05,0.1,0.02'
    }

    It '2. finds the best run by accuracy (skipping the NaN of the failed run)' {
        $answer = Get-WandbRun |
            Where-Object { $_.Summary.accuracy -is [double] -and -not [double]::IsNaN($_.Summary.accuracy) } |
            Sort-Object { $_.Summary.accuracy } -Descending |
            Select-Object -First 1
        $answer.Id | Should -Be 'fin0002b'
        $answer.Name | Should -BeExactly 'calm-forest-2'
        $answer.Summary.accuracy | Should -Be 0.95
    }

    It '3. counts the runs per state' {
        $answer = Get-WandbRun | Group-Object State -NoElement
        $counts = @{}
        foreach ($group in $answer) { $counts[$group.Name] = $group.Count }
        $counts.Keys | Should -HaveCount 4
        $counts['Finished'] | Should -Be 5
        $counts['Failed'] | Should -Be 1
        $counts['Crashed'] | Should -Be 1
        $counts['Running'] | Should -Be 1
    }

    It '4. lists the runs of the last 7 days, oldest first' {
        $answer = @(Get-WandbRun | Where-Object CreatedAt -gt (Get-Date).ToUniversalTime().AddDays(-7) | Sort-Object CreatedAt)
        $answer | Should -HaveCount 8
        $ids = @($answer | ForEach-Object { $_.Id })
        ($ids[0..4]) -join ',' | Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d'
        # crsh005e and offl008h were created at the same second (one day before the anchor)
        (@($ids[5], $ids[6]) | Sort-Object) -join ',' | Should -Be 'crsh005e,offl008h'
        $ids[7] | Should -Be 'live006f'
    }

    It '5. finds the runs that ran over an hour' {
        $answer = Get-WandbRun | Measure-RunRuntime | Where-Object Runtime -gt ([timespan]::FromHours(1))
        ($answer | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'resu007g,fin0002b'
        ($answer | Where-Object RunId -eq 'fin0002b').Runtime | Should -Be ([timespan]'01:15:00')
        # The resumed run spans two folders: 0:00-0:25 and 2:00-2:25 after its first start.
        ($answer | Where-Object RunId -eq 'resu007g').Runtime | Should -Be ([timespan]'02:25:00')
    }

    It '6. shows the input artifacts of a run' {
        $answer = @(Get-WandbRun -Id fin0001a | Get-RunUsedArtifact)
        $answer | Should -HaveCount 1
        $answer[0].Reference | Should -BeExactly 'mnist:v3'
        $answer[0].Name | Should -BeExactly 'mnist'
        $answer[0].Version | Should -BeExactly 'v3'
        $answer[0].Type | Should -BeExactly 'dataset'
        [System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String($answer[0].Id)) | Should -BeExactly 'Artifact:1001'
    }

    It '7. tells whether each finished run logged model:latest' {
        $answer = Get-WandbRun | Where-Object State -eq Finished | ForEach-Object {
            [pscustomobject]@{ RunId = $_.Id; LoggedModel = [bool]($_ | Get-RunLoggedArtifact -Name model:latest -ErrorAction SilentlyContinue) }
        }
        ($answer | ForEach-Object { $_.RunId + '=' + $_.LoggedModel }) -join ',' |
            Should -Be 'fin0001a=True,resu007g=False,fin0002b=True,fin0003c=False,offl008h=False'
    }
}
