# Get-RunUsedArtifact: the artifacts a run used (its inputs), chosen by -Name as name:alias, name:vN, a bare name
# or wildcards.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:runs = @(Get-WandbRun -Path $wandb)
    $script:runById = @{}
    foreach ($run in $runs) { $runById[$run.Id] = $run }
    $script:used = @($runs | Get-RunUsedArtifact)

    function ConvertFrom-ArtifactId([string] $Id) {
        [System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String($Id))
    }
}

Describe 'Get-RunUsedArtifact' {
    Context 'all used artifacts' {
        It 'finds the three dataset inputs of the sample runs, in run order' {
            $used | Should -HaveCount 3
            ($used | ForEach-Object { $_.RunId + '=' + $_.Reference }) -join ',' |
                Should -Be 'fin0001a=mnist:v3,fin0002b=mnist:latest,fin0003c=mnist:v3'
        }

        It 'returns WandbArtifact objects marked Used, of type dataset' {
            foreach ($artifact in $used) {
                $artifact | Should -BeOfType 'WandbRunOps.Model.WandbArtifact'
                $artifact.Direction | Should -Be ([WandbRunOps.Model.ArtifactDirection]::Used)
                $artifact.Name | Should -BeExactly 'mnist'
                $artifact.Type | Should -BeExactly 'dataset'
            }
        }

        It 'reads version v3 of the input used by version' {
            $a = $used | Where-Object RunId -eq 'fin0001a'
            $a.Version | Should -BeExactly 'v3'
            $a.VersionIndex | Should -BeOfType 'System.Int32'
            $a.VersionIndex | Should -Be 3
            $a.Aliases | Should -BeNullOrEmpty
        }

        It 'reads the alias of the input used by alias, with no version' {
            $a = $used | Where-Object RunId -eq 'fin0002b'
            $a.Aliases -join ',' | Should -BeExactly 'latest'
            $a.Version | Should -BeNullOrEmpty
            $a.VersionIndex | Should -BeNullOrEmpty
        }

        It 'gives <RunId>''s input the server id of <Decoded>' -TestCases @(
            @{ RunId = 'fin0001a'; Decoded = 'Artifact:1001' }
            @{ RunId = 'fin0002b'; Decoded = 'Artifact:1002' }
            @{ RunId = 'fin0003c'; Decoded = 'Artifact:1001' }
        ) {
            $a = $used | Where-Object RunId -eq $RunId
            ConvertFrom-ArtifactId $a.Id | Should -BeExactly $Decoded
        }

        It 'writes nothing and no error for runs that used no artifact' {
            $none = $runs | Where-Object { $_.Id -notlike 'fin*' } | Get-RunUsedArtifact -ErrorVariable err
            $none | Should -BeNullOrEmpty
            $err | Should -BeNullOrEmpty
        }
    }

    Context 'choosing artifacts with -Name' {
        It 'finds name:vN in the runs that used that version' {
            $a = $runs | Get-RunUsedArtifact -Name 'mnist:v3' -ErrorAction SilentlyContinue
            ($a | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0001a,fin0003c'
        }

        It 'finds name:alias' {
            $a = $runById['fin0002b'] | Get-RunUsedArtifact -Name 'mnist:latest'
            $a | Should -HaveCount 1
            $a.Reference | Should -BeExactly 'mnist:latest'
        }

        It 'finds a bare name whatever the version' {
            $a = $runs | Where-Object { $_.Id -like 'fin*' } | Get-RunUsedArtifact -Name 'mnist'
            $a | Should -HaveCount 3
            ($a | ForEach-Object { $_.Reference }) -join ',' | Should -BeExactly 'mnist:v3,mnist:latest,mnist:v3'
        }

        It 'matches wildcards' {
            ($runs | Get-RunUsedArtifact -Name 'mn*') | Should -HaveCount 3
        }

        It 'writes a WandbArtifactNotFound error when the run used another version' {
            $none = $runById['fin0002b'] | Get-RunUsedArtifact -Name 'mnist:v3' -ErrorAction SilentlyContinue -ErrorVariable err
            $none | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbArtifactNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $err[0].TargetObject | Should -BeExactly 'mnist:v3'
        }

        It 'lets -ErrorAction Stop make the missing artifact catchable' {
            { $runById['fin0001a'] | Get-RunUsedArtifact -Name 'mnist:latest' -ErrorAction Stop } |
                Should -Throw -ErrorId 'WandbArtifactNotFound,*'
        }

        It 'stops with WandbInvalidArgument for the malformed reference <Reference>' -TestCases @(
            @{ Reference = 'mnist:' }
            @{ Reference = ':v3' }
            @{ Reference = 'a:b:c' }
        ) {
            { $runById['fin0001a'] | Get-RunUsedArtifact -Name $Reference } | Should -Throw -ErrorId 'WandbInvalidArgument,*'
        }
    }

    Context 'naming runs without Get-WandbRun' {
        It 'reads a run by -Path and -Id' {
            (Get-RunUsedArtifact -Path $wandb -Id fin0001a).Reference | Should -BeExactly 'mnist:v3'
        }

        It 'reads ./wandb when -Id is given without -Path' {
            Push-Location -LiteralPath (Split-Path -Parent $wandb)
            try {
                $here = @(Get-RunUsedArtifact -Id 'fin*')
            }
            finally {
                Pop-Location
            }
            $here | Should -HaveCount 3
        }

        It 'takes Measure-RunRuntime rows from the pipeline' {
            $a = Get-WandbRun -Path $wandb -Id fin0002b | Measure-RunRuntime | Get-RunUsedArtifact
            $a.Reference | Should -BeExactly 'mnist:latest'
        }
    }

    Context 'composition with the PowerShell cmdlets' {
        It 'groups runs by the dataset version they used' {
            $groups = $used | Group-Object Reference
            ($groups | Where-Object Name -eq 'mnist:v3').Count | Should -Be 2
            ($groups | Where-Object Name -eq 'mnist:latest').Count | Should -Be 1
        }

        It 'groups runs by the artifact id they used' {
            $same = $used | Group-Object Id | Where-Object Count -gt 1
            $same | Should -HaveCount 1
            ($same.Group | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0001a,fin0003c'
        }

        It 'selects the columns a user asks for' {
            $row = $used | Select-Object RunId, Name, Version -First 1
            $row.RunId | Should -Be 'fin0001a'
            $row.Version | Should -Be 'v3'
        }

        It 'converts to JSON' {
            $back = ($used | Where-Object RunId -eq 'fin0001a') | ConvertTo-Json -Depth 3 | ConvertFrom-Json
            $back.Reference | Should -BeExactly 'mnist:v3'
            $back.VersionIndex | Should -Be 3
        }
    }
}

Describe 'Get-RunUsedArtifact: what a user sees' {
    It 'shows a table at <Width> columns without type names' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $text = Out-UserText -InputObject $used -Width $Width
        ($text -split "`r?`n" | Where-Object { $_ -match '^Reference ' }) | Should -Match '^Reference\s+Type'
        Assert-NoTypeName $text
        Assert-NoTypeName (Out-UserText -InputObject $used -As List)
    }

    It 'gives an artifact without aliases an empty list, exported as an empty CSV cell and a JSON []' {
        $bare = @($used | Where-Object { $_.Aliases.Count -eq 0 })[0]
        $bare | Should -Not -BeNullOrEmpty
        ($bare | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv).Aliases | Should -BeExactly ''
        ($bare | ConvertTo-Json -Compress) | Should -Match '"Aliases":\[\]'
    }

    It 'names the real used artifact tfidf-reds:latest in CSV without type names' {
        if (Skip-WithoutRealFixtures) { return }
        $artifacts = @(Get-WandbRun -Path (Get-RealFixture 'sdk-0.22.1-online') -Id arwtvc9b -WarningAction SilentlyContinue | Get-RunUsedArtifact)
        $csv = $artifacts | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $csv[0].Reference | Should -BeExactly 'tfidf-reds:latest'
        $csv[0].Aliases | Should -BeExactly 'latest'
        Assert-NoTypeName ($artifacts | ConvertTo-Csv -NoTypeInformation | Out-String)
    }
}
