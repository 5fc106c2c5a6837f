# Get-RunLoggedArtifact: the artifacts a run logged (its outputs), chosen by -Name as name:alias, name:vN, a bare
# name or wildcards.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:runs = @(Get-WandbRun -Path $wandb)
    $script:runById = @{}
    foreach ($run in $runs) { $runById[$run.Id] = $run }
    $script:logged = @($runs | Get-RunLoggedArtifact)
}

Describe 'Get-RunLoggedArtifact' {
    Context 'all logged artifacts' {
        It 'finds the four artifacts the sample runs logged, in run order' {
            $logged | Should -HaveCount 4
            ($logged | ForEach-Object { $_.RunId + '=' + $_.Reference }) -join ',' |
                Should -Be 'fin0001a=model:latest,fin0002b=model:latest,fin0003c=confusion:latest,offl008h=mnist-prepared:latest'
        }

        It 'returns WandbArtifact objects marked Logged' {
            foreach ($artifact in $logged) {
                $artifact | Should -BeOfType 'WandbRunOps.Model.WandbArtifact'
                $artifact.Direction | Should -Be ([WandbRunOps.Model.ArtifactDirection]::Logged)
            }
        }

        It 'gives <RunId>''s artifact <Name> the type <Type>, <Files> files and <Size> bytes' -TestCases @(
            @{ RunId = 'fin0001a'; Name = 'model'; Type = 'model'; Files = 2; Size = 4719004 }
            @{ RunId = 'fin0002b'; Name = 'model'; Type = 'model'; Files = 2; Size = 4719004 }
            @{ RunId = 'fin0003c'; Name = 'confusion'; Type = 'plot'; Files = 1; Size = 18432 }
            @{ RunId = 'offl008h'; Name = 'mnist-prepared'; Type = 'dataset'; Files = 2; Size = 54880032 }
        ) {
            $artifact = $logged | Where-Object RunId -eq $RunId
            $artifact.Name | Should -BeExactly $Name
            $artifact.Type | Should -BeExactly $Type
            $artifact.FileCount | Should -Be $Files
            $artifact.Size | Should -BeOfType 'System.Int64'
            $artifact.Size | Should -Be $Size
            $artifact.Digest | Should -Match '^[0-9a-f]{32}$'
        }

        It 'lists the aliases of the best model' {
            $best = $logged | Where-Object RunId -eq 'fin0002b'
            $best.Aliases -join ',' | Should -BeExactly 'latest,best'
        }

        It 'has no version for an artifact that was never synced' {
            foreach ($artifact in $logged) {
                $artifact.Version | Should -BeNullOrEmpty
                $artifact.VersionIndex | Should -BeNullOrEmpty
            }
        }

        It 'reads the artifact metadata as a map' {
            ($logged | Where-Object RunId -eq 'fin0001a').Metadata.framework | Should -BeExactly 'torch'
            $rows = ($logged | Where-Object RunId -eq 'offl008h').Metadata.rows
            $rows | Should -BeOfType 'System.Int64'
            $rows | Should -Be 60000
        }

        It 'gives the offline run''s artifact its project but no entity' {
            $offline = $logged | Where-Object RunId -eq 'offl008h'
            $offline.Project | Should -BeExactly 'mnist-sweep'
            $offline.Entity | Should -BeNullOrEmpty
        }

        It 'writes nothing and no error for a run that logged no artifact' {
            $none = $runById['fail004d'] | Get-RunLoggedArtifact -ErrorVariable err
            $none | Should -BeNullOrEmpty
            $err | Should -BeNullOrEmpty
        }
    }

    Context 'choosing artifacts with -Name' {
        It 'finds name:alias' {
            $a = $runById['fin0002b'] | Get-RunLoggedArtifact -Name 'model:best'
            $a | Should -HaveCount 1
            $a.RunId | Should -Be 'fin0002b'
        }

        It 'finds a bare name in every run that logged it, and reports the runs that did not' {
            $a = $runs | Get-RunLoggedArtifact -Name 'model' -ErrorAction SilentlyContinue -ErrorVariable err
            ($a | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0001a,fin0002b'
            # a name without wildcards is a literal: each of the other six runs gets a not-found error
            $err | Should -HaveCount 6
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbArtifactNotFound,*'
            $err[0].TargetObject | Should -BeExactly 'model'
        }

        It 'matches wildcards' {
            $a = $runs | Get-RunLoggedArtifact -Name 'mnist-*'
            $a.RunId | Should -Be 'offl008h'
            $a.Reference | Should -BeExactly 'mnist-prepared:latest'
        }

        It 'writes no error when a wildcard matches nothing' {
            $none = $runById['fin0001a'] | Get-RunLoggedArtifact -Name 'nomatch*' -ErrorVariable err
            $none | Should -BeNullOrEmpty
            $err | Should -BeNullOrEmpty
        }

        It 'writes a WandbArtifactNotFound error for each run without the named artifact' {
            $found = $runs | Where-Object State -eq 'Finished' |
                Get-RunLoggedArtifact -Name 'model:latest' -ErrorAction SilentlyContinue -ErrorVariable err
            ($found | ForEach-Object { $_.RunId }) -join ',' | Should -Be 'fin0001a,fin0002b'
            # resu007g, fin0003c and offl008h finished without logging a model
            $err | Should -HaveCount 3
            foreach ($e in $err) {
                $e.FullyQualifiedErrorId | Should -BeLike 'WandbArtifactNotFound,*'
                $e.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
                $e.TargetObject | Should -BeExactly 'model:latest'
            }
            ($err | ForEach-Object { $_.Exception.Message }) -join ' ' | Should -Match 'fin0003c'
        }

        It 'lets -ErrorAction Stop make the missing artifact catchable' {
            { $runById['fin0003c'] | Get-RunLoggedArtifact -Name 'model:latest' -ErrorAction Stop } |
                Should -Throw -ErrorId 'WandbArtifactNotFound,*'
        }

        It 'does not match a version that was never assigned' {
            $none = $runById['fin0002b'] | Get-RunLoggedArtifact -Name 'model:v0' -ErrorAction SilentlyContinue -ErrorVariable err
            $none | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].TargetObject | Should -BeExactly 'model:v0'
        }

        It 'stops with WandbInvalidArgument for the malformed reference <Reference>' -TestCases @(
            @{ Reference = 'model:' }
            @{ Reference = ':latest' }
            @{ Reference = 'a:b:c' }
        ) {
            $caught = $null
            try {
                $runById['fin0001a'] | Get-RunLoggedArtifact -Name $Reference
            }
            catch {
                $caught = $_
            }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $caught.TargetObject | Should -BeExactly $Reference
        }

        It 'answers "did this run log model:latest?" with [bool]' {
            [bool]($runById['fin0001a'] | Get-RunLoggedArtifact -Name 'model:latest' -ErrorAction SilentlyContinue) | Should -BeTrue
            [bool]($runById['fin0003c'] | Get-RunLoggedArtifact -Name 'model:latest' -ErrorAction SilentlyContinue) | Should -BeFalse
        }
    }

    Context 'naming runs without Get-WandbRun' {
        It 'reads a run by -Path and -Id' {
            $a = Get-RunLoggedArtifact -Path $wandb -Id offl008h
            $a.Reference | Should -BeExactly 'mnist-prepared:latest'
        }

        It 'writes a WandbRunNotFound error for an id that is not there' {
            Get-RunLoggedArtifact -Path $wandb -Id 'nosuch01' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $err[0].TargetObject | Should -BeExactly 'nosuch01'
        }

        It 'takes Get-RunConfig rows from the pipeline' {
            $a = Get-WandbRun -Path $wandb -Id fin0003c | Get-RunConfig | Get-RunLoggedArtifact
            $a.Reference | Should -BeExactly 'confusion:latest'
        }
    }

    Context 'composition with the PowerShell cmdlets' {
        It 'groups logged artifacts by type' {
            $byType = $logged | Group-Object Type -AsHashTable -AsString
            $byType['model'] | Should -HaveCount 2
            $byType['plot'] | Should -HaveCount 1
            $byType['dataset'] | Should -HaveCount 1
        }

        It 'adds up the logged bytes with Measure-Object' {
            # 2 x (4,718,592 + 412) + 18,432 + (47,040,016 + 7,840,016)
            ($logged | Measure-Object Size -Sum).Sum | Should -Be 64336472
        }

        It 'sorts by size, largest first' {
            ($logged | Sort-Object Size -Descending | Select-Object -First 1).Name | Should -BeExactly 'mnist-prepared'
        }

        It 'filters on aliases' {
            ($logged | Where-Object { $_.Aliases -contains 'best' }).RunId | Should -Be 'fin0002b'
        }

        It 'shows the reference, type and run in the default table' {
            $text = $runById['fin0002b'] | Get-RunLoggedArtifact | Out-String -Width 200
            $text | Should -Match 'model:latest'
            $text | Should -Match 'fin0002b'
            $text | Should -Match 'latest, best'
        }
    }
}

Describe 'Get-RunLoggedArtifact: what a user sees' {
    It 'shows a table at <Width> columns with exact sizes and aliases as text' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $text = Out-UserText -InputObject $logged -Width $Width
        ($text -split "`r?`n" | Where-Object { $_ -match '^Reference ' }) | Should -Match '^Reference\s+Type\s+Size\s+Aliases'
        $text | Should -Match '\b4719004\b'
        $text | Should -Match 'latest, best'
        Assert-NoTypeName $text
    }

    It 'shows aliases and metadata as text in the list view' {
        $text = Out-UserText -InputObject $logged -As List
        $text | Should -Match 'Aliases\s+: latest, best'
        $text | Should -Match 'Metadata\s+: @\{framework=torch\}'
        Assert-NoTypeName $text
    }

    It 'exports Aliases and Metadata to CSV as text, and JSON with aliases as an array' {
        $csv = @($logged | ConvertTo-Csv -NoTypeInformation)
        Assert-NoTypeName ($csv -join "`n")
        ($csv | ConvertFrom-Csv | Where-Object Aliases -eq 'latest, best') | Should -Not -BeNullOrEmpty
        $json = $logged | Where-Object { $_.Aliases.Count -eq 2 } | Select-Object -First 1 | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json
        @($json.Aliases) -join ',' | Should -BeExactly 'latest,best'
        $json.Direction | Should -BeExactly 'Logged'
    }
}
